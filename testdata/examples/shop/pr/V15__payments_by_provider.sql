-- A typo the replay catches: the column is called provider.
CREATE INDEX idx_payments_provider ON payments (provider_id, captured_at);
