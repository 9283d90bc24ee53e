import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.venv/', '.venv-bench/', 'coverage/', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    files: ['lib/**/*.ts', 'bin/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Posture rules read resolved CloudFormation (untyped JSON, tokens turned into intrinsics).
    files: ['lib/posture/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
