"""Personal-data protection (Nghị định 13/2023/NĐ-CP): recognisers for Vietnamese text,
anonymisers, table scans and re-identification risk."""
