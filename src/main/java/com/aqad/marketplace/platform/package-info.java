/**
 * What every feature shares: web plumbing (problem details, request id, strict JSON,
 * security headers), Redis configuration and cache primitives. Depends on no feature.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package com.aqad.marketplace.platform;
