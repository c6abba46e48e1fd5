/**
 * The heat map's colour scale against the backgrounds and chart blues of VS Code's own themes
 * (Dark Modern, Light Modern, Dark High Contrast, Light High Contrast): full strength reaches 7:1,
 * every cell with any probability stands apart from the background, and stronger cells are darker
 * (light themes) or brighter (dark themes) than weaker ones.
 */
import { describe, expect, it } from 'vitest';
import {
  contrast,
  faintContrast,
  heatScale,
  inkContrast,
  luminance,
  over,
  scaleInk,
  visibleAlpha,
  type Rgb,
} from '../../../webview/heatColors';

const themes: Record<string, { background: Rgb; blue: Rgb }> = {
  'Dark Modern': { background: [0x18, 0x18, 0x18], blue: [0x37, 0x94, 0xff] },
  'Light Modern': { background: [0xf8, 0xf8, 0xf8], blue: [0x1a, 0x85, 0xff] },
  'Dark High Contrast': { background: [0, 0, 0], blue: [0x37, 0x94, 0xff] },
  'Light High Contrast': { background: [0xff, 0xff, 0xff], blue: [0x0f, 0x4a, 0x85] },
};

describe('heat map colours', () => {
  it('contrast follows WCAG 2: black on white is 21, a colour on itself 1', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    expect(contrast([0x37, 0x94, 0xff], [0x37, 0x94, 0xff])).toBe(1);
    // The chart blue over Dark Modern's side bar: under 7:1, the reason the ink is lifted.
    expect(contrast([0x37, 0x94, 0xff], [0x18, 0x18, 0x18])).toBeLessThan(inkContrast);
  });

  for (const [name, { background, blue }] of Object.entries(themes))
    it(`${name}: full strength has ${inkContrast}:1, weak cells stay visible, stronger is further from the background`, () => {
      const { ink, minAlpha } = heatScale(blue, background);
      expect(contrast(ink, background)).toBeGreaterThanOrEqual(inkContrast);
      // Lifted towards white on dark backgrounds, towards black on light ones.
      if (luminance(background) < 0.18) expect(luminance(ink)).toBeGreaterThanOrEqual(luminance(blue));
      else expect(luminance(ink)).toBeLessThanOrEqual(luminance(blue));
      const shown = [0, 1e-6, 0.1, 0.25, 0.5, 1].map((s) =>
        contrast(over(ink, background, visibleAlpha(s, minAlpha)), background),
      );
      expect(shown[0]).toBe(1);
      // The faintest visible cell stands apart (the old scale drew p ≈ 0.1 at about 1.2:1 in Dark Modern).
      expect(shown[1]).toBeGreaterThanOrEqual(faintContrast);
      expect(minAlpha).toBeLessThan(0.5);
      for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThan(shown[i - 1]);
      // Half strength is a graphic WCAG counts as visible (3:1).
      expect(shown[4]).toBeGreaterThanOrEqual(3);
    });

  it('keeps a theme colour that already has the contrast', () => {
    expect(scaleInk([0, 0, 0], [255, 255, 255])).toEqual([0, 0, 0]);
    expect(scaleInk([0x0f, 0x4a, 0x85], [255, 255, 255])).toEqual([0x0f, 0x4a, 0x85]);
  });

  it('opacity: zero stays clear, anything above it at least the minimum, full at 1', () => {
    expect(visibleAlpha(0, 0.2)).toBe(0);
    expect(visibleAlpha(Number.NaN, 0.2)).toBe(0);
    expect(visibleAlpha(1e-9, 0.2)).toBeCloseTo(0.2, 6);
    expect(visibleAlpha(0.5, 0.2)).toBeCloseTo(0.6, 6);
    expect(visibleAlpha(1, 0.2)).toBe(1);
    expect(visibleAlpha(2, 0.2)).toBe(1);
  });
});
