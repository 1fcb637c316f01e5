-- Where a credential stands, answered from an index alone: a receipt or status lookup reads these four
-- columns, and the table's rows carry the whole signed artifact (about 2 KiB each), whose pages a random
-- lookup would otherwise read from disk. About 100 bytes an entry.
CREATE INDEX credentials_placement ON credentials (digest, batch_id, leaf_index, received_at);
