package bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The framework floor of the benchmarks: what a bare Spring Boot WebFlux application (the
 * auto-configuration a WebFlux-only project gets) does on this machine with one functional
 * route answering {@code GET /api/v1/products/{id}} with fixed bytes of a real product's
 * JSON. Same Boot, Netty and JVM flags as the product; no security, data or metrics.
 *
 * <pre>java -cp target/bench/floor:$(cat target/bench/classpath.txt) bench.FrameworkFloor product.json --server.port=18095</pre>
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
		WebFluxAutoConfiguration.class, CodecsAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class })
public class FrameworkFloor {

	private static byte[] body;

	public static void main(String[] args) throws Exception {
		body = Files.readAllBytes(Path.of(args[0]));
		SpringApplication application = new SpringApplication(FrameworkFloor.class);
		application.setDefaultProperties(java.util.Map.of("spring.main.banner-mode", "off"));
		application.run(java.util.Arrays.copyOfRange(args, 1, args.length));
	}

	@Bean
	RouterFunction<ServerResponse> product() {
		return RouterFunctions.route()
			.GET("/api/v1/products/{id}",
					(request) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body))
			.build();
	}

}
