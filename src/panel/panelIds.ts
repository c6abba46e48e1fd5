/** The view id contributed in package.json (`contributes.views`); the root object registers it before the panel's code loads. */
export const panelViewType = 'lossInspector.panelView';
