-- dialect: mysql
-- An author's posts, page by page: the client sends the offset.
SELECT id, title FROM posts WHERE author_id = ? ORDER BY created_at DESC LIMIT ?, 20;

-- Runners-up on the front page (ranks 41–60): a constant offset, it never grows.
SELECT id, title FROM posts WHERE published ORDER BY created_at DESC LIMIT 40, 20;

SELECT id, title FROM posts ORDER BY id LIMIT 20;
