import { describeStoreContract } from '../../test/contract/store-contract.js';
import { openDatabase } from './open-database.js';

describeStoreContract(
  'PGlite (in memory)',
  () => openDatabase({ ephemeral: true }),
  (db) => db.close(),
);
