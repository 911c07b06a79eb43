-- dialect: mysql
SELECT id, title FROM posts WHERE author_id = ? ORDER BY created_at DESC LIMIT ?, 20;

SELECT id, title FROM posts ORDER BY id LIMIT 20;
