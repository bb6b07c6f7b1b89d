import { loadConnection } from '@slo-scout/testkit';
import { createKafkaBus } from '../../src/adapters/kafka/index.ts';
import { busContract } from '../contract.ts';

const { brokers } = loadConnection('kafka');

busContract('kafka', () => Promise.resolve(createKafkaBus({ brokers, clientId: 'bus-contract' })), {
  noRedeliveryOnRebalance: false,
});
