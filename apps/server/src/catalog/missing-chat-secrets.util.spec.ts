import { describe, expect, it } from 'vitest';
import type { ChatTarget } from '@burnrate/catalog';
import { aCatalog, aService } from '@burnrate/catalog/testing';

import { missingChatVariables } from './missing-chat-secrets.util.js';

const hook = (env: string): ChatTarget => ({ type: 'discord', urlFromEnv: env, severities: [], reports: [] });
const bot = (env: string): ChatTarget => ({
  type: 'slack',
  tokenFromEnv: env,
  channel: 'C0123456',
  severities: [],
  reports: [],
});

const catalog = () => {
  const c = aCatalog([aService({ name: 'cart', team: 'shop', chat: [bot('CART_TOKEN'), hook('CART_URL')] })]);
  c.teams[0]!.chat = [
    bot('SHOP_TOKEN'),
    { type: 'webhook', url: 'https://x.example', severities: [], reports: [] },
  ];
  return c;
};

describe(missingChatVariables.name, () => {
  it("names each team's and service's destination whose URL or bot token variable is unset", () => {
    expect(missingChatVariables(catalog(), new Set())).toEqual([
      'team shop: chat[0] (slack) takes its bot token from SHOP_TOKEN, which is not set: nothing can be sent there',
      'service cart: chat[0] (slack) takes its bot token from CART_TOKEN, which is not set: nothing can be sent there',
      'service cart: chat[1] (discord) takes its URL from CART_URL, which is not set: nothing can be sent there',
    ]);
  });

  it('says nothing of variables that are set, nor of literal URLs', () => {
    expect(missingChatVariables(catalog(), new Set(['SHOP_TOKEN', 'CART_TOKEN', 'CART_URL']))).toEqual([]);
  });
});
