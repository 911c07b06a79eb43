CREATE TABLE authors (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL UNIQUE
);

CREATE TABLE posts (
  id         bigserial PRIMARY KEY,
  author_id  bigint NOT NULL REFERENCES authors (id),
  title      text NOT NULL,
  body       text NOT NULL,
  published  boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX posts_created_at_id_idx ON posts (created_at DESC, id DESC);

CREATE TABLE comments (
  id         bigserial PRIMARY KEY,
  post_id    bigint NOT NULL REFERENCES posts (id),
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX comments_post_id_created_at_id_idx ON comments (post_id, created_at, id);

CREATE TABLE tags (
  id   bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE post_tags (
  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id  bigint NOT NULL REFERENCES tags (id),
  PRIMARY KEY (post_id, tag_id)
);
