// The framework entries (`@vexport/widget/react`, `/vue`, `/svelte`) are typings only: an `import` of one
// that a bundler keeps loads this empty module.
export {};
