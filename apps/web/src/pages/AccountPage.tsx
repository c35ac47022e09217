// The signed-in user's own account: two-factor sign-in, where they are signed in, and their API tokens.
import { SessionsCard } from '../components/account/SessionsCard';
import { TwoFactorCard } from '../components/account/TwoFactorCard';
import { PageHeader } from '../components/layout/PageHeader';

export default function AccountPage() {
  return (
    <>
      <PageHeader title="Account" description="Two-factor sign-in, your sessions and your API tokens." />
      <div className="flex flex-col gap-6">
        <TwoFactorCard />
        <SessionsCard />
      </div>
    </>
  );
}
