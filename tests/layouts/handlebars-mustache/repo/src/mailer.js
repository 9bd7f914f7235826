// Renders src/emails/<name>.hbs (Handlebars) or <name>.mustache (the older ones, Mustache)
// and sends it. The subject is the <title>, the sender the <meta name="from">.
const fs = require("fs");
const path = require("path");
const Handlebars = require("handlebars");
const Mustache = require("mustache");

const dir = path.join(__dirname, "emails");
Handlebars.registerPartial("footer", fs.readFileSync(path.join(dir, "partials/footer.hbs"), "utf8"));

function render(name, data) {
  const hbs = path.join(dir, `${name}.hbs`);
  if (fs.existsSync(hbs)) return Handlebars.compile(fs.readFileSync(hbs, "utf8"))(data);
  return Mustache.render(fs.readFileSync(path.join(dir, `${name}.mustache`), "utf8"), data);
}

function headers(html) {
  const subject = /<title>([^<]*)<\/title>/.exec(html)[1];
  const from = /<meta name="from" content="([^"]*)">/.exec(html)[1];
  return { subject, from };
}

module.exports = { render, headers };
