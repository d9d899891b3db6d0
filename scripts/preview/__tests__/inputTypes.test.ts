import { inputTypes } from '../build';

// The preview build leaves lightning-input's date/time/colour/file parts out only when no template in it
// can render those types; this is how it reads a template's lightning-input types.
describe('inputTypes', () => {
  it('reads static types, text when there is none, and lowercases them', () => {
    const template = `<template>
      <lightning-input type="toggle" label="Budget" checked={budget}></lightning-input>
      <lightning-input label="Competitor" value={competitor}></lightning-input>
      <lightning-input
        class="when"
        type='DATE'
      ></lightning-input>
    </template>`;
    expect(inputTypes(template)).toEqual(['toggle', 'text', 'date']);
  });

  it('reports a type given by an expression as unknown (any type may come)', () => {
    expect(inputTypes('<lightning-input type={field.type} value={field.value}></lightning-input>')).toEqual([undefined]);
  });

  it('ignores other components whose names start the same way', () => {
    expect(
      inputTypes('<lightning-input-field field-name="Name"></lightning-input-field><lightning-input-rich-text></lightning-input-rich-text>')
    ).toEqual([]);
  });
});
