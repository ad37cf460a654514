import { openDatabase } from '../store/open-database.js';
import { describeRetentionContract } from '../../test/contract/retention-contract.js';

describeRetentionContract(
  'PGlite',
  () => openDatabase({ ephemeral: true }),
  (db) => db.close(),
);
