/** What a jsonb column holds. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a revision records: each changed field, from → to. */
export type FieldChanges = Record<string, { from: JsonValue; to: JsonValue }>;
