/**
 * The heat map's colour scale, made readable in every theme. A cell is the scale's ink laid over
 * the panel's own background with an opacity that grows with p, so p = 0 is the background itself.
 * The theme's chart blue alone was too weak for that: over a dark or black background it has about
 * 6:1 contrast at full opacity, and at the opacities most cells get (p ≈ 0.1) it was a faint dark
 * blue. So the ink is the theme's blue pushed towards white (dark and high-contrast dark themes) or
 * black (light themes) until it reaches `inkContrast` against the background, and every cell that
 * has any probability gets enough of it to stand `faintContrast` apart from the background. Pure arithmetic on sRGB triples; the DOM
 * reading lives in charts.ts.
 */

export type Rgb = readonly [number, number, number];

/** WCAG 2 relative luminance of an sRGB colour (0–255 channels). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white). */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `a` moved a fraction `f` of the way to `b`, rounded to whole channel values. */
export function mix(a: Rgb, b: Rgb, f: number): Rgb {
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/**
 * The full-strength end of the scale. WCAG asks 3:1 for graphics; 7:1 leaves room for the cells at
 * a quarter of full strength to stay apart from the background, which is where most cells of a
 * many-class batch are.
 */
export const inkContrast = 7;

/** The contrast against the background of the faintest cell that has any probability. */
export const faintContrast = 1.5;

/**
 * The theme's colour made strong enough against `background`: mixed towards white on a dark
 * background, towards black on a light one, in small steps until the contrast is `target`
 * (or as far as it goes). A colour that already has the contrast is kept as the theme gives it.
 */
export function scaleInk(base: Rgb, background: Rgb, target = inkContrast): Rgb {
  const towards: Rgb = luminance(background) < 0.18 ? [255, 255, 255] : [0, 0, 0];
  for (let step = 0; step <= 20; step++) {
    const ink = mix(base, towards, step / 20);
    if (contrast(ink, background) >= target) return ink;
  }
  return towards;
}

/** The scale of one theme: its ink and the opacity of the faintest visible cell. */
export interface HeatScale {
  ink: Rgb;
  minAlpha: number;
}

/**
 * The scale over `background`: the ink (`scaleInk`) and the smallest opacity whose cell has
 * `faintContrast` against the background. That opacity differs by theme (a fifth of the ink
 * is enough over white, black needs more), so it is measured rather than fixed.
 */
export function heatScale(base: Rgb, background: Rgb): HeatScale {
  const ink = scaleInk(base, background);
  let minAlpha = 1;
  for (let a = 0.05; a < 1; a += 0.01)
    if (contrast(over(ink, background, a), background) >= faintContrast) {
      minAlpha = a;
      break;
    }
  return { ink, minAlpha };
}

/** The opacity a cell's strength in [0, 1] is drawn with: 0 stays clear, anything more is visible. */
export function visibleAlpha(strength: number, minAlpha: number): number {
  if (!(strength > 0)) return 0;
  return Math.min(1, minAlpha + (1 - minAlpha) * strength);
}

/** What a cell of opacity `alpha` looks like over `background` (the colour the eye gets). */
export function over(ink: Rgb, background: Rgb, alpha: number): Rgb {
  return mix(background, ink, alpha);
}
