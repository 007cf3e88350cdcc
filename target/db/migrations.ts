/** One schema for both storage kinds. Idempotent, so every start runs it. */
export const MIGRATIONS = `
CREATE TABLE IF NOT EXISTS users (
  id            text PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  plan          text NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  revoked    boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS runs (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  request_id   text NOT NULL,
  thread_id    text NOT NULL,
  mode         text NOT NULL,
  status       text NOT NULL DEFAULT 'running',
  events       jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (user_id, request_id)
);
CREATE TABLE IF NOT EXISTS billing_records (
  id            bigserial PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs(id),
  request_id    text NOT NULL,
  user_id       text NOT NULL REFERENCES users(id),
  plan          text NOT NULL,
  input_tokens  integer NOT NULL,
  output_tokens integer NOT NULL,
  amount_micros bigint NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS billing_records_user ON billing_records (user_id);
`;
