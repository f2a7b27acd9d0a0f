-- +goose Up
-- The directory a regency keeps up to date (`aduan directory`): kecamatan and desa carry
-- their official Kemendagri code (NN.NN.NN, NN.NN.NN.NNNN), the key of an import, while
-- their IDs stay the slugs complaints, clients and links already use. Entries are retired,
-- never deleted: a retired one stays for the complaints that name it but is not offered
-- (or accepted) for new ones.
ALTER TABLE kecamatan ADD COLUMN code text UNIQUE;
ALTER TABLE kecamatan ADD COLUMN retired_at timestamptz;
ALTER TABLE desa ADD COLUMN code text UNIQUE;
ALTER TABLE desa ADD COLUMN retired_at timestamptz;
ALTER TABLE pokja ADD COLUMN retired_at timestamptz;
ALTER TABLE partners ADD COLUMN retired_at timestamptz;

-- +goose Down
ALTER TABLE partners DROP COLUMN retired_at;
ALTER TABLE pokja DROP COLUMN retired_at;
ALTER TABLE desa DROP COLUMN retired_at;
ALTER TABLE desa DROP COLUMN code;
ALTER TABLE kecamatan DROP COLUMN retired_at;
ALTER TABLE kecamatan DROP COLUMN code;
