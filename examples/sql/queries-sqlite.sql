SELECT id, body FROM comments WHERE post_id = :post_id ORDER BY created_at LIMIT :limit OFFSET :offset;
