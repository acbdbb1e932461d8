package com.aqad.marketplace.catalog;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ApiException.FieldProblem;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProductQueryTests {

	private static final CatalogProperties PROPERTIES = new CatalogProperties(20, 100, 200, null);

	@Test
	void defaultsToTheNewestFirstAndTwentyItems() {
		ProductQuery query = parse(Map.of());
		assertThat(query.sort()).isEqualTo(ProductSort.NEWEST);
		assertThat(query.limit()).isEqualTo(20);
		assertThat(query.after()).isNull();
	}

	@Test
	void aTextQuerySortsByRelevanceUnlessToldOtherwise() {
		assertThat(parse(Map.of("q", "steel kettle")).sort()).isEqualTo(ProductSort.RELEVANCE);
		assertThat(parse(Map.of("q", "steel kettle", "sort", "price_desc")).sort()).isEqualTo(ProductSort.PRICE_DESC);
	}

	@Test
	void readsEveryFilter() {
		UUID category = UUID.randomUUID();
		UUID vendor = UUID.randomUUID();
		ProductQuery query = parse(Map.of("categoryId", category.toString(), "vendorId", vendor.toString(), "minPrice",
				"100", "maxPrice", "5000", "inStock", "true", "sort", "price_asc", "limit", "100"));
		assertThat(query)
			.isEqualTo(new ProductQuery(category, vendor, null, 100L, 5000L, true, ProductSort.PRICE_ASC, 100, null));
	}

	@Test
	void listsEveryInvalidParameterInOneAnswer() {
		ApiException failure = catchThrowableOfType(ApiException.class, () -> parse(Map.of("categoryId", "42", "limit",
				"101", "minPrice", "-1", "inStock", "yes", "sort", "cheapest", "colour", "red")));
		assertThat(failure.status().value()).isEqualTo(400);
		assertThat(failure.code()).isEqualTo("validation_failed");
		assertThat(failure.errors()).extracting(FieldProblem::field)
			.containsExactlyInAnyOrder("categoryId", "limit", "minPrice", "inStock", "sort", "colour");
	}

	@Test
	void refusesRelevanceWithoutTextAndAnInvertedPriceRange() {
		assertThat(fields(Map.of("sort", "relevance"))).containsExactly("sort");
		assertThat(fields(Map.of("minPrice", "500", "maxPrice", "100"))).containsExactly("minPrice");
		assertThat(fields(Map.of("q", " "))).containsExactly("q");
		assertThat(fields(Map.of("q", "x".repeat(201)))).containsExactly("q");
		assertThat(fields(Map.of("limit", "0"))).containsExactly("limit");
	}

	@Test
	void refusesRepeatedParameters() {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		parameters.put("limit", List.of("10", "20"));
		assertThat(catchThrowableOfType(ApiException.class, () -> ProductQuery.parse(parameters, PROPERTIES)).errors())
			.extracting(FieldProblem::field)
			.containsExactly("limit");
	}

	@Test
	void acceptsOnlyACursorOfTheSameOrder() {
		String priceCursor = new ProductCursor(ProductSort.PRICE_ASC, 100, UUID.randomUUID()).encode();
		assertThat(parse(Map.of("sort", "price_asc", "cursor", priceCursor)).after()).isNotNull();
		assertThat(fields(Map.of("sort", "newest", "cursor", priceCursor))).containsExactly("cursor");
	}

	@Test
	void equalQueriesShareACacheKeyAndDifferentOnesDoNot() {
		String key = parse(Map.of("q", "kettle", "limit", "10")).cacheKey();
		assertThat(parse(Map.of("limit", "10", "q", "kettle")).cacheKey()).isEqualTo(key);
		assertThat(parse(Map.of("q", "kettle", "limit", "11")).cacheKey()).isNotEqualTo(key);
		assertThat(parse(Map.of("q", "kettles", "limit", "10")).cacheKey()).isNotEqualTo(key);
	}

	private static List<String> fields(Map<String, String> parameters) {
		return catchThrowableOfType(ApiException.class, () -> parse(parameters)).errors()
			.stream()
			.map(FieldProblem::field)
			.toList();
	}

	private static ProductQuery parse(Map<String, String> parameters) {
		MultiValueMap<String, String> map = new LinkedMultiValueMap<>();
		parameters.forEach(map::add);
		return ProductQuery.parse(map, PROPERTIES);
	}

}
