package com.aqad.marketplace.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class CatalogApiTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogService catalog;

	private CatalogFixtures fixtures;

	private UUID vendor;

	private UUID category;

	@BeforeEach
	void freshVendorAndCategory() {
		this.fixtures = new CatalogFixtures(this.db, this.catalog);
		this.vendor = this.fixtures.vendor();
		this.category = this.fixtures.category();
	}

	@Test
	void aProductIsServedWithEveryContractFieldAndAnEtag() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Copper Kettle", 12_050, 7, "ACTIVE");
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueEquals("ETag", "\"" + id + ".0\"")
			.expectHeader()
			.valueEquals("Cache-Control", "max-age=1, public, stale-while-revalidate=5")
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id.toString())
			.jsonPath("$.vendorId")
			.isEqualTo(this.vendor.toString())
			.jsonPath("$.categoryId")
			.isEqualTo(this.category.toString())
			.jsonPath("$.sku")
			.isEqualTo("SKU-" + id)
			.jsonPath("$.name")
			.isEqualTo("Copper Kettle")
			.jsonPath("$.description")
			.isEqualTo("Copper Kettle for testing")
			.jsonPath("$.priceMinor")
			.isEqualTo(12_050)
			.jsonPath("$.currency")
			.isEqualTo("EUR")
			.jsonPath("$.stock")
			.isEqualTo(7)
			.jsonPath("$.status")
			.isEqualTo("ACTIVE")
			.jsonPath("$.version")
			.isEqualTo(0)
			.jsonPath("$.createdAt")
			.value((String createdAt) -> assertThat(createdAt).endsWith("Z"))
			.jsonPath("$.updatedAt")
			.exists();
	}

	@Test
	void aMatchingIfNoneMatchIsAnsweredNotModified() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Brass Valve", 900, 3, "ACTIVE");
		String etag = this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("ETag", etag)
			// what a shared cache stored stays cacheable (no-store here would drop it)
			.expectHeader()
			.valueEquals("Cache-Control", "max-age=1, public, stale-while-revalidate=5")
			.expectBody()
			.isEmpty();
		// lists and categories too, with their weak tags
		String listTag = this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
		assertThat(listTag).startsWith("W/\"");
		this.http.get()
			.uri("/api/v1/categories")
			.header("If-None-Match", listTag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("Cache-Control", "max-age=1, public, stale-while-revalidate=5");
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.header("If-None-Match", "\"" + id + ".41\"")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void unknownMalformedAndUnlistedProductsAreNotFound() {
		UUID draft = this.fixtures.product(this.vendor, this.category, "Draft Lamp", 500, 1, "DRAFT");
		UUID archived = this.fixtures.product(this.vendor, this.category, "Old Lamp", 500, 1, "ARCHIVED");
		for (Object id : List.of(UUID.randomUUID(), "not-an-id", draft, archived)) {
			this.http.get()
				.uri("/api/v1/products/{id}", id)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("not_found");
		}
	}

	@Test
	void listsOnlyActiveProductsOfTheFilteredCategory() {
		Set<UUID> active = Set.of(product("Oak Ladder", 100, 1), product("Oak Box", 200, 0),
				product("Oak Bucket", 300, 5));
		this.fixtures.product(this.vendor, this.category, "Oak Draft", 100, 1, "DRAFT");
		this.fixtures.product(this.vendor, this.category, "Oak Archived", 100, 1, "ARCHIVED");
		this.fixtures.product(this.vendor, this.fixtures.category(), "Oak Elsewhere", 100, 1, "ACTIVE");
		assertThat(ids("categoryId=" + this.category)).containsExactlyInAnyOrderElementsOf(active);
	}

	@Test
	void filtersByVendorPriceRangeAndStock() {
		UUID cheap = product("Wool Towel", 100, 4);
		UUID middle = product("Wool Gloves", 5_000, 0);
		UUID dear = product("Wool Bag", 90_000, 2);
		UUID otherVendor = this.fixtures.product(this.fixtures.vendor(), this.category, "Wool Rival", 5_000, 9,
				"ACTIVE");
		String inCategory = "categoryId=" + this.category;
		assertThat(ids(inCategory + "&vendorId=" + this.vendor)).containsExactlyInAnyOrder(cheap, middle, dear);
		assertThat(ids(inCategory + "&minPrice=5000&maxPrice=5000")).containsExactlyInAnyOrder(middle, otherVendor);
		assertThat(ids(inCategory + "&minPrice=101")).containsExactlyInAnyOrder(middle, dear, otherVendor);
		assertThat(ids(inCategory + "&maxPrice=5000&inStock=true")).containsExactlyInAnyOrder(cheap, otherVendor);
	}

	@Test
	void sortsByPriceBothWaysAndByNewest() {
		UUID first = product("Glass Mug", 300, 1);
		UUID second = product("Glass Jar", 100, 1);
		UUID third = product("Glass Pan", 200, 1);
		String inCategory = "categoryId=" + this.category;
		assertThat(ids(inCategory + "&sort=price_asc")).containsExactly(second, third, first);
		assertThat(ids(inCategory + "&sort=price_desc")).containsExactly(first, third, second);
		assertThat(ids(inCategory)).containsExactly(third, second, first);
	}

	@Test
	void fullTextSearchMatchesStemmedWordsOfNameAndDescription() {
		UUID lantern = product("Zephyrite Lantern", 1_000, 1);
		UUID lanterns = product("Zephyrite Lanterns Deluxe", 2_000, 1);
		product("Zephyrite Shovel", 3_000, 1);
		String inCategory = "categoryId=" + this.category;
		assertThat(ids(inCategory + "&q=zephyrite lantern")).containsExactlyInAnyOrder(lantern, lanterns);
		assertThat(ids(inCategory + "&q=lanterns&sort=price_desc")).containsExactly(lanterns, lantern);
		assertThat(ids(inCategory + "&q=\"zephyrite shovel\" -lantern")).hasSize(1);
	}

	@Test
	void badQueriesAreRefusedWithEveryBadField() {
		this.http.get()
			.uri("/api/v1/products?limit=0&categoryId=nope&sort=cheapest&colour=red")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.errors[*].field")
			.value((List<String> fields) -> assertThat(fields).containsExactlyInAnyOrder("limit", "categoryId", "sort",
					"colour"));
		this.http.get()
			.uri("/api/v1/products?cursor=forged")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("cursor");
	}

	@Test
	void pagingThroughThousandsUnderConcurrentInsertsNeitherRepeatsNorSkips() {
		this.fixtures.manyProducts(this.vendor, this.category, 2_500);
		Set<UUID> before = Set.copyOf(ids("categoryId=" + this.category + "&limit=100", 1_000));
		assertThat(before).hasSize(2_500);
		for (String sort : List.of("newest", "price_asc", "price_desc")) {
			this.catalog.listingsChanged().block();
			AtomicInteger inserted = new AtomicInteger();
			Disposable inserts = Flux.range(0, Integer.MAX_VALUE)
				.concatMap((n) -> this.fixtures.insert(randomId(), this.vendor, this.category, "Racing item " + n,
						1000 + (n * 37) % 100_000, 5, "ACTIVE"))
				.subscribe((id) -> inserted.incrementAndGet());
			List<UUID> paged;
			try {
				paged = ids("categoryId=" + this.category + "&limit=100&sort=" + sort, 1_000);
			}
			finally {
				inserts.dispose();
			}
			assertThat(inserted).as("products inserted while paging").hasPositiveValue();
			assertThat(new HashSet<>(paged)).as("no product twice (" + sort + ")").hasSize(paged.size());
			assertThat(paged).as("every product that existed before (" + sort + ")").containsAll(before);
		}
	}

	@Test
	void categoriesAreListedWithTheirFields() {
		this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.id == '%s')].slug".formatted(this.category))
			.value((List<String> slugs) -> assertThat(slugs).singleElement().asString().startsWith("test-"))
			.jsonPath("$.nextCursor")
			.isEmpty();
	}

	// not UUID.randomUUID(): SecureRandom reads a file, and this runs on an event loop
	private static UUID randomId() {
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong());
	}

	private UUID product(String name, long price, int stock) {
		return this.fixtures.product(this.vendor, this.category, name, price, stock, "ACTIVE");
	}

	private List<UUID> ids(String query) {
		return ids(query, 1);
	}

	/**
	 * Follows {@code nextCursor} through up to {@code maxPages} pages, collecting item
	 * ids.
	 */
	@SuppressWarnings("unchecked")
	private List<UUID> ids(String query, int maxPages) {
		List<UUID> ids = new ArrayList<>();
		String cursor = null;
		for (int page = 0; page < maxPages; page++) {
			String uri = "/api/v1/products?" + query + ((cursor != null) ? "&cursor=" + cursor : "");
			Map<String, Object> body = this.http.get()
				.uri(uri)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.OK)
				.expectBody(JSON)
				.returnResult()
				.getResponseBody();
			for (Map<String, Object> item : (List<Map<String, Object>>) body.get("items")) {
				ids.add(UUID.fromString((String) item.get("id")));
			}
			cursor = (String) body.get("nextCursor");
			if (cursor == null) {
				break;
			}
		}
		return ids;
	}

}
