import { groupByExactKeys } from './exact-components.js';
import type { IdentityResolver, ResolutionInput, ResolutionResult } from './identity-resolver.js';
import { writePersons } from './write-persons.js';

/**
 * Exact resolution: records sharing a key are one person; a record whose keys reach two stored persons
 * merges them into the older one (lowest id), so person ids stay stable. Set-based: one key lookup and a
 * few COPYs per batch, whatever its size. The linkage resolver (linkage-resolver.ts) adds the model's
 * matching to these same steps.
 */
export const exactResolver: IdentityResolver = {
  async resolve(session, inputs: readonly ResolutionInput[]): Promise<ResolutionResult> {
    const groups = await groupByExactKeys(session, inputs);
    const { personOfGroup, created, merges } = await writePersons(session, groups);
    const personIds = Array.from(groups.groupOf, (g) => personOfGroup[g]!);
    return {
      personIds,
      affectedPersonIds: new Set(personIds),
      personsCreated: created.length,
      merges,
      linkedByModel: 0,
      reviewsQueued: 0,
      fuzzy: personIds.map(() => false),
    };
  },
};
