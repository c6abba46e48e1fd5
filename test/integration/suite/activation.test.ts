import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { extensionId, getExtension, harnessEnv, openFixture, waitFor, workspaceFolder } from '../helpers';

suite('activation', () => {
  test('the extension is loaded from this working tree', () => {
    const extension = getExtension();
    assert.equal(extension.packageJSON.main, './dist/extension.js');
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'extension.js')),
      `${extension.extensionPath}/dist/extension.js is missing: run the build first`);
    if (harnessEnv.extensionPath) {
      assert.equal(fs.realpathSync(extension.extensionPath), fs.realpathSync(harnessEnv.extensionPath));
    }
  });

  test('the window opened the workspace the run asked for', () => {
    const folder = workspaceFolder();
    if (harnessEnv.folder) assert.equal(fs.realpathSync(folder.uri.fsPath), fs.realpathSync(harnessEnv.folder));
  });

  test('a Python file opens as python, with the extension active', async () => {
    const extension = getExtension();
    // Found through the workspace search (ripgrep in the extension host), so the suite also runs on examples/.
    const pythonFiles = (await vscode.workspace.findFiles('**/*.py')).map((uri) => vscode.workspace.asRelativePath(uri, false)).sort();
    assert.ok(pythonFiles.length > 0, 'the workspace holds no .py file');
    const { document } = await openFixture(pythonFiles.includes('seed.py') ? 'seed.py' : pythonFiles[0]);
    // The built-in Python language support must claim .py files, or no onLanguage:python feature can work.
    assert.equal(document.languageId, 'python');
    await waitFor(`${extensionId} to activate`, () => extension.isActive);
  });

  test('VS Code reports the display language the run asked for', () => {
    assert.equal(vscode.env.language, harnessEnv.language);
  });
});
