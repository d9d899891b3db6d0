/**
 * The header's "View as" form (scripts/preview/personas.ts) posts the page to come back to, which the server
 * wrote when it served the page; client-side navigation to another record changes the page without a new
 * header, so the form takes the address shown at the moment it is sent.
 */
export function keepPersonaReturn(): void {
  const form = document.querySelector<HTMLFormElement>('form.preview-persona');
  const back = form?.elements.namedItem('return');
  if (!form || !(back instanceof HTMLInputElement)) return;
  form.addEventListener('submit', () => {
    back.value = `${window.location.pathname}${window.location.search}`;
  });
}
