import { describeAuditContract } from '../contract/audit-contract.js';
import { createScratchDatabase } from './scratch-database.js';

const scratch = createScratchDatabase();
describeAuditContract(
  'PostgreSQL',
  () => scratch.open(),
  async (db) => {
    await db.close();
    await scratch.drop();
  },
);
