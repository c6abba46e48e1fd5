'use strict';

// Scores of one image for five classes, as a browser model returns them, and the true class.
const scores = new Float32Array([0.6, 2.4, -0.3, 1.1, 0.05]);
const label = new Int32Array([3]);
// loss: 1.7703

module.exports = { scores, label };
