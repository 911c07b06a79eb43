-- name: ListPublishedPosts :many
SELECT id, title, created_at
FROM posts
WHERE published
ORDER BY created_at DESC
LIMIT $1 OFFSET $2;

-- name: ListPublishedPostsAfter :many
-- Keyset: the cursor is the last row of the previous page.
SELECT id, title, created_at
FROM posts
WHERE published AND (created_at, id) < ($1, $2)
ORDER BY created_at DESC, id DESC
LIMIT 20;

-- name: LatestComments :many
SELECT id, body FROM comments ORDER BY id DESC LIMIT 10 OFFSET 0;
