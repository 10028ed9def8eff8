import { describe, expect, it } from 'vitest';
import { renderAnnotations } from './annotation-template.util.js';

const labels = { request_host: 'api.example.com', service: 'gateway' };

describe('annotations rendered as Prometheus renders them', () => {
  it('replace $labels and .Labels references with the result labels', () => {
    expect(
      renderAnnotations(
        { summary: '{{ $labels.request_host }} of {{$labels.service}} ({{ .Labels.service }})' },
        labels,
        undefined,
      ),
    ).toEqual({
      summary: 'api.example.com of gateway (gateway)',
    });
  });

  it('print humanized values to 4 significant digits, float noise included', () => {
    const value = { value: 0.011999999999999999, exact: false };
    expect(
      renderAnnotations(
        { a: '{{ $value | humanizePercentage }}', b: '{{ $value | humanize }}' },
        labels,
        value,
      ),
    ).toEqual({ a: '1.2%', b: '12m' });
    expect(renderAnnotations({ a: '{{ $value | humanize }}' }, labels, { value: 1, exact: true })).toEqual({
      a: '1',
    });
    expect(
      renderAnnotations({ a: '{{ $value | humanize }}' }, labels, { value: 0.00024, exact: false }),
    ).toEqual({ a: '240u' });
  });

  it('print a bare $value only when it is exact', () => {
    expect(renderAnnotations({ a: 'at {{ $value }}' }, labels, { value: 1, exact: true })).toEqual({
      a: 'at 1',
    });
    expect(
      renderAnnotations({ a: 'at {{ $value }}' }, labels, { value: 0.012, exact: false }),
    ).toBeUndefined();
  });

  it('give up on labels the result lacks and on other template actions', () => {
    expect(renderAnnotations({ a: '{{ $labels.sloth_service }}' }, labels, undefined)).toBeUndefined();
    expect(renderAnnotations({ a: '{{ if $labels.service }}x{{ end }}' }, labels, undefined)).toBeUndefined();
    expect(renderAnnotations({ a: 'no template' }, labels, undefined)).toEqual({ a: 'no template' });
  });
});
