import express from 'express';
import { postsRouter } from './routes/posts';
import { usersRouter } from './routes/users';

const app = express();
app.use(express.json());
app.use('/posts', postsRouter);
app.use('/users', usersRouter);

app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log('blog api listening');
});
