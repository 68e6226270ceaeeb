import Koa from 'koa';
import Router from '@koa/router';
import { greeting } from './greeting';

const app = new Koa();
const router = new Router();

router.get('/', (ctx) => {
  ctx.body = { message: greeting(ctx.query.name) };
});
router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});

app.use(router.routes()).use(router.allowedMethods());

const port = Number(process.env.PORT ?? 8080);
app.listen(port, () => console.log(`node-pnpm listening on ${port}`));
