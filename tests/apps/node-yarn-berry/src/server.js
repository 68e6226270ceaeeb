'use strict';

const fastify = require('fastify')({ logger: true });
const { greeting } = require('./greeting');

fastify.get('/', async (request) => ({ message: greeting(request.query.name) }));
fastify.get('/health', async () => ({ status: 'ok' }));

const port = Number(process.env.PORT || 3000);
fastify.listen({ port, host: '0.0.0.0' }).catch((err) => {
  fastify.log.error(err);
  process.exit(1);
});
