import { describeAuditContract } from '../../test/contract/audit-contract.js';
import { openDatabase } from '../store/open-database.js';

describeAuditContract(
  'PGlite (in memory)',
  () => openDatabase({ ephemeral: true }),
  (db) => db.close(),
);
