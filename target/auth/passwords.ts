import bcrypt from "bcryptjs";

/** bcrypt with a configurable cost: 4 by default so load tests measure the service, not the hash. */
export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function checkPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
