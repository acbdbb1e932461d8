/**
 * The API's own description: the OpenAPI 3.1 document ({@code /v3/api-docs}) and Swagger
 * UI ({@code /swagger-ui/}). The document is written by hand as the contract; the build
 * checks it against the routes and against every answer the integration tests receive.
 */
package com.aqad.marketplace.apidocs;
