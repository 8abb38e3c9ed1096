"""Clinical knowledge attached to codes: the pack format and its models, built-in and user packs, the differential."""
