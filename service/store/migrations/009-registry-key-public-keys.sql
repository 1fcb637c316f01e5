-- The public key a member published with its signing key (SigningKeyPublished, emitted by registerPublicKey): the
-- multicodec bytes as lower-case 0x hex, whose keccak256 is key_hash. NULL for a key registered by its hash only.
ALTER TABLE registry_keys ADD COLUMN public_key TEXT;
