'use strict';

const express = require('express');
const morgan = require('morgan');
const { greeting } = require('./greeting');

const app = express();
app.use(morgan('tiny'));

app.get('/', (req, res) => res.json({ message: greeting(req.query.name) }));
app.get('/health', (req, res) => res.json({ status: 'ok' }));

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`node-yarn listening on ${port}`));
