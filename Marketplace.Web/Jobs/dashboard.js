// Appended to Hangfire's dashboard script bundle (see JobsDashboard). Chart.js 2 would inject its CSS as an inline
// <style> element, which the dashboard's CSP refuses; the same CSS already comes with Hangfire's stylesheet bundle.
Chart.platform.disableCSSInjection = true;
