import { describe, expect, it } from 'vitest';
import { sameDashboard } from './same-dashboard.util.js';

describe('sameDashboard', () => {
  it('ignores the id and version Grafana assigns on save, and key order', () => {
    expect(sameDashboard({ id: 7, version: 3, uid: 'u', title: 't' }, { title: 't', uid: 'u' })).toBe(true);
  });

  it('sees any change of content', () => {
    expect(sameDashboard({ uid: 'u', title: 't', description: 'edited' }, { uid: 'u', title: 't' })).toBe(
      false,
    );
  });
});
