export { dayNumber, dayText } from './calendar-day.js';
