import { FLAT_COLUMNS } from '../core/observation/flat-columns.js';

/** Store ids (bigint) as the API takes them: decimal digits. */
export const ID = { type: 'string', pattern: '^[0-9]{1,18}$' } as const;

/** A route's `:id` parameter. */
export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: ID },
} as const;

/** A body that gives only a written reason (discarding, releasing): kept with the record of it. */
export const reasonBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 3, maxLength: 500 } },
} as const;

/** A record's fields as a person types them (a quarantine fix, a redress correction). */
export const flatRecordFields = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(FLAT_COLUMNS.map((c) => [c, { type: 'string', maxLength: 200 }])),
} as const;
