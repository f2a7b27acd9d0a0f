-- +goose Up
-- What the PublishExternal activity pushed to each of the regency's external websites
-- ('webhook', 'wordpress'): one row per complaint and site. synced_at is set when the site
-- accepted the publication of published_at; a re-published answer (a later published_at) is
-- pushed again. attempts counts pushes, last_error keeps the last failure (public data and the
-- site's answer only, never personal data), remote_id the site's id (a WordPress post id).
CREATE TABLE publication_sync (
    code         text NOT NULL REFERENCES complaints (code),
    site         text NOT NULL,
    published_at timestamptz,
    synced_at    timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    last_error   text,
    remote_id    text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, site)
);
-- Operators look for what has not reached a site.
CREATE INDEX publication_sync_pending ON publication_sync (site, updated_at) WHERE synced_at IS NULL;

-- +goose Down
DROP TABLE publication_sync;
