// Starts Swagger UI on /docs from this origin's files only (a separate file, not an inline
// script, so the page's Content-Security-Policy can say script-src 'self').
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    // The default validator badge is an image from validator.swagger.io: no other origin here.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
});
