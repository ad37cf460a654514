import { describeRetentionContract } from '../contract/retention-contract.js';
import { createScratchDatabase } from './scratch-database.js';

const scratch = createScratchDatabase('imos_retention');
describeRetentionContract(
  'PostgreSQL',
  () => scratch.open(),
  async (db) => {
    await db.close();
    await scratch.drop();
  },
);
