import { describeStoreContract } from '../contract/store-contract.js';
import { createScratchDatabase } from './scratch-database.js';

const scratch = createScratchDatabase();
describeStoreContract(
  'PostgreSQL',
  () => scratch.open(),
  async (db) => {
    await db.close();
    await scratch.drop();
  },
);
