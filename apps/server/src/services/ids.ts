// Row ids are UUIDs. A string that is not one is answered as "not found" without asking the database (PostgreSQL
// would reject it as a malformed uuid).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
