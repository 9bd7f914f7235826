// Eleventy builds one HTML page per email into _site/emails/, which the
// order service loads and renders again with the customer's details.
export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("src/img");

  return {
    dir: {
      input: "src",
      includes: "_includes",
      output: "_site",
    },
    markdownTemplateEngine: "njk",
    htmlTemplateEngine: "njk",
  };
}
