// Lint rules shared by the whole repository. Zero warnings are allowed (`--max-warnings 0`).
import tseslint from 'typescript-eslint';

const noMathRandom = {
  object: 'Math',
  property: 'random',
  message: 'Use a RandomSource from #concord/crypto: production code takes crypto randomness only.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'apps/coordinator/public/vendor/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', noMathRandom],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/**'],
              message: 'Import a library through its public surface: #concord/<lib>.',
            },
            { group: ['#concord/*/**'], message: 'No deep imports: use the library index.' },
          ],
        },
      ],
    },
  },
  {
    // Inside a library, imports stay in the library's own folder.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*'],
              message:
                'Libraries are flat: no ../ imports; use #concord/<lib> for other libraries.',
            },
            { group: ['#concord/*/**'], message: 'No deep imports: use the library index.' },
          ],
        },
      ],
    },
  },
  {
    // The DP samplers are exact integer code (dp-design.md section 6.7, test T10).
    files: ['libs/dp/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        noMathRandom,
        ...['log', 'exp', 'pow', 'sqrt'].map((property) => ({
          object: 'Math',
          property,
          message:
            'No floating point in DP code; use exact rationals (accounting helpers live in accounting-float.ts).',
        })),
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
