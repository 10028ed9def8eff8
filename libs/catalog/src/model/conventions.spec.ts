import { describe, expect, it } from 'vitest';
import { dashboardUid } from './conventions.js';

describe('dashboardUid', () => {
  it('lowercases and keeps only letters, digits and dashes', () => {
    expect(dashboardUid('svc', 'Payments', 'Checkout_API')).toBe('svc-payments-checkout-api');
  });

  it('shortens long names to 40 characters and keeps them distinct', () => {
    const a = dashboardUid('svc', 'platform-engineering', 'very-long-service-name-number-one');
    const b = dashboardUid('svc', 'platform-engineering', 'very-long-service-name-number-two');
    expect(a.length).toBeLessThanOrEqual(40);
    expect(b.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
  });
});
