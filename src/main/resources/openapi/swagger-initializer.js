// Swagger UI for this server's own OpenAPI document (served as a file: the page's
// Content-Security-Policy allows scripts from this origin only, never inline).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/v3/api-docs",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    validatorUrl: null
  });
};
