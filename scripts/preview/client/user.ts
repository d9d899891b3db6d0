import { previewConfig } from './config';

/** `@salesforce/user/Id` in the preview: the org user whose token the preview server uses. */
const userId: string = previewConfig().userId;
export default userId;
