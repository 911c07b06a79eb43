-- dialect: sqlite
-- A post's comments in pages, oldest first.
SELECT id, body FROM comments WHERE post_id = :post_id ORDER BY created_at LIMIT :limit OFFSET :offset;

-- The same list after the last comment the client has seen.
SELECT id, body FROM comments
WHERE post_id = :post_id AND (created_at, id) > (:after_created_at, :after_id)
ORDER BY created_at, id
LIMIT :limit;
